"""The request's life cycle as one table; a move that is not in it raises."""

from enum import StrEnum

from .enums import State


class Action(StrEnum):
    ROUTE = "route"
    TAKE = "take"
    RESOLVE = "resolve"
    RETURN = "return"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    REASSIGN = "reassign"
    LOG_CONTACT = "log_contact"
    NOTE = "note"
    AUTHOR_MESSAGE = "author_message"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"


class IllegalTransition(Exception):
    def __init__(self, state: State, action: Action) -> None:
        super().__init__(f"{action} is not allowed from {state}")
        self.state = state
        self.action = action


_R, _T, _W, _D, _X = (
    State.RECEIVED,
    State.ROUTED,
    State.IN_WORK,
    State.RESOLVED,
    State.WITHDRAWN,
)

TRANSITIONS: dict[tuple[State, Action], State] = {
    (_R, Action.ROUTE): _T,
    (_T, Action.TAKE): _W,
    (_W, Action.RESOLVE): _D,
    (_T, Action.RETURN): _R,
    (_W, Action.RETURN): _R,
    (_D, Action.REOPEN): _W,
    (_R, Action.WITHDRAW): _X,
    (_T, Action.WITHDRAW): _X,
    (_W, Action.WITHDRAW): _X,
    # The head may hand any open request to someone else; it must be taken anew.
    (_T, Action.REASSIGN): _T,
    (_W, Action.REASSIGN): _T,
    # Actions that leave the state as it is but are only allowed while it is open.
    (_T, Action.LOG_CONTACT): _T,
    (_W, Action.LOG_CONTACT): _W,
    (_R, Action.NOTE): _R,
    (_T, Action.NOTE): _T,
    (_W, Action.NOTE): _W,
    (_D, Action.NOTE): _D,
    (_R, Action.AUTHOR_MESSAGE): _R,
    (_T, Action.AUTHOR_MESSAGE): _T,
    (_W, Action.AUTHOR_MESSAGE): _W,
    (_D, Action.AUTHOR_MESSAGE): _D,
    (_W, Action.REQUEST_EXTENSION): _W,
    (_T, Action.REQUEST_EXTENSION): _T,
    (_W, Action.DECIDE_EXTENSION): _W,
    (_T, Action.DECIDE_EXTENSION): _T,
}


def next_state(state: State, action: Action) -> State:
    try:
        return TRANSITIONS[(State(state), Action(action))]
    except KeyError:
        raise IllegalTransition(State(state), Action(action)) from None


def allowed_actions(state: State) -> frozenset[Action]:
    return frozenset(action for (s, action) in TRANSITIONS if s == state)
