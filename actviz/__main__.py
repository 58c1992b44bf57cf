from actviz.cli import main

main(prog_name="actviz")
