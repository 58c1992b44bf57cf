"""The one exception type for user errors (bad names, parameters, ranges, paths)."""


class ActvizError(ValueError):
    """A mistake in what the user asked for.

    The CLI turns it into a one-line message on stderr and exit code 2; library callers
    can catch it like any ValueError.
    """
