"""Errors that are the user's to fix: the CLI prints them without a traceback."""


class UserError(Exception):
    """A problem with the user's input or setup; ``exit_code`` is what the CLI returns."""

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(UserError):
    """A file that cannot be read: missing, unknown format or a syntax error (exit code 2)."""


class ValidationFailed(UserError):
    """The data does not conform to the shapes (exit code 1)."""

    exit_code = 1


class BindingError(UserError, ValueError):
    """A parameter that cannot be bound safely: a bad variable name, one the query does not
    use, an IRI or language tag that could break out of its token, or no group to bind in."""


class UnbindableTerm(UserError, TypeError):
    """A parameter value that is neither an IRI nor a literal (a blank node, say)."""


class QueryTimeout(UserError):
    """A query ran longer than the time it was given."""

    def __init__(self, seconds: float):
        super().__init__(f"The query ran longer than {seconds:g} s, the limit of this service, and was stopped. "
                         "Narrow it down (fewer patterns, a LIMIT) and try again.")


class ResultTooLarge(UserError):
    """A query's answer has more rows than the service allows."""


class RefusedError(UserError):
    """The command would overwrite something: nothing was written (exit code 1)."""

    exit_code = 1
