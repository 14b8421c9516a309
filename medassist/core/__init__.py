"""What every job shares: the project's paths and names, params, file I/O and the CLI wrapper."""


class MedassistError(Exception):
    """A user-facing error: printed as one clear line, never as a traceback."""
