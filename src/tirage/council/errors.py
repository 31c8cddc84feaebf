"""The council's refusals."""


class CouncilError(Exception):
    """The operation is refused; the message (French) says why."""
