"""actviz gallery"""

import click


@click.command("gallery")
@click.option("--out", "-o", "out", default="gallery", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder to write into (created if missing).")
@click.option("--only", "patterns", multiple=True, metavar="PATTERN",
              help="Only pictures whose key or name matches (glob; repeatable or a comma "
                   "list), e.g. --only mish,'overlays/*'.")
@click.option("--index/--no-index", default=True, show_default=True,
              help="Write README.md, the index with formulas and properties.")
@click.option("--list", "list_only", is_flag=True, help="List the pictures and exit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def command(out, patterns, index, list_only, quiet):
    """Regenerate the gallery: every picture actviz makes, as SVG, and its index: for
    every activation f, f', f'' with kinks and zero-gradient regions; overlays of variants
    and approximations with their errors; the train-xor, optimize-constraint, stability and
    benchmark figures (the last from the run recorded in the package). Output is
    deterministic (same inputs and versions, same bytes); each picture's caption is the
    command that draws it. Ends with a summary of the files written.

    \b
    Examples:
      actviz gallery
      actviz gallery -o /tmp/g --only mish,'overlays/*' --no-index
      actviz gallery --list
    """
    import os

    from actviz import gallery
    from actviz.cli.options import is_tty, progress_stream, split_list
    from actviz.errors import ActvizError

    chosen = gallery.select(gallery.items(), tuple(split_list(patterns)))
    if list_only:
        for it in chosen:
            click.echo(f"{it.path:45s} {it.command}")
        return
    if os.path.exists(out) and not os.path.isdir(out):
        raise ActvizError(f"--out {out!r} is a file, not a folder")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise ActvizError(f"cannot create {out!r}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise ActvizError(f"cannot write into {out!r}: permission denied")
    if index:
        from actviz.files import check_writable

        check_writable(os.path.join(out, "README.md"))

    show = is_tty() and not quiet
    steps = len(chosen) + (1 if index else 0)
    with click.progressbar(length=steps, label="gallery", file=progress_stream(show),
                           show_pos=True) as bar:
        written = gallery.build(out, chosen, progress=lambda it: bar.update(1))
        if index:
            written.append(gallery.write_index(out))
            bar.update(1)
    total = sum(os.path.getsize(p) for p in written)
    for p in written:
        click.echo(f"{os.path.getsize(p) / 1024:8.1f} KiB  {p}")
    click.echo(f"{len(written)} files, {total / 1024 / 1024:.2f} MiB in {out}")

