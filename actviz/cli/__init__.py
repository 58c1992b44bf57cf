"""The ``actviz`` command line: a click group whose commands load lazily.

Each command lives in its own module (``actviz/cli/cmd_*.py``) and imports numpy, sympy,
scipy or matplotlib inside its function, so ``actviz --help`` and ``--version`` stay fast.
User errors (:class:`actviz.ActvizError`, click usage errors) print one line on stderr and
exit with code 2; Ctrl-C exits with 130.
"""

from __future__ import annotations

import importlib
import sys

import click

from actviz import __version__
from actviz.errors import ActvizError

# name -> (module, one-line help shown by `actviz --help` without importing the module)
COMMANDS = {
    "list": ("cmd_list", "List the catalog: names, aliases, parameters, formulas."),
    "show": ("cmd_show", "Formula, derivatives, kinks and properties of one activation."),
    "plot": ("cmd_plot", "Plot activations with their derivatives."),
    "check": ("cmd_check", "Audit symbolic derivatives against mpmath (or check a claim)."),
    "bench": ("cmd_bench", "Time the kernels against a memory-bandwidth floor and peers."),
    "stability": ("cmd_stability",
                  "Where naive formulas and actviz kernels overflow or lose accuracy."),
    "train-xor": ("cmd_xor", "Train tiny 2-3-1 XOR nets and explain why some fail."),
    "signal": ("cmd_signal", "Signal propagation at initialization: edge of chaos, gains."),
    "optimize-constraint": ("cmd_constraint",
                            "The hard-sigmoid constrained optimization, run and explained."),
    "explore": ("cmd_explore", "Write an interactive page: sliders, live f, f', f'', kinks."),
    "approx": ("cmd_approx", "Design fast approximations of an activation; certify their error."),
    "gallery": ("cmd_gallery", "Regenerate the gallery of pictures."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name, (mod, _) in COMMANDS.items() if _exists(mod)]

    def get_command(self, ctx, name):
        if name not in COMMANDS or not _exists(COMMANDS[name][0]):
            return None
        module = importlib.import_module(f"actviz.cli.{COMMANDS[name][0]}")
        return module.command

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, **extra):
        import warnings

        # floating-point warnings of valid inputs (overflow far out in a tail, 0/0 where a
        # function is undefined) are expected and accounted for; they are not for the user
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        try:
            rv = super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort as exc:
            click.echo("Aborted.", err=True)
            sys.exit(130 if isinstance(exc.__context__, KeyboardInterrupt) else 1)
        except KeyboardInterrupt:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"Error: {exc.format_message()}{hint}", err=True)
            sys.exit(2)
        except ActvizError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)


def _exists(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"actviz.cli.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actviz")
def main():
    """actviz: analyse and visualize neural-network activation functions.

    \b
    Examples:
      actviz list
      actviz show mish --derivatives 2
      actviz plot hard_sigmoid sigmoid --derivatives 1
      actviz check --derivatives 2
    """
