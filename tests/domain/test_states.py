import pytest

from opora.domain.enums import State
from opora.domain.states import TRANSITIONS, Action, IllegalTransition, allowed_actions, next_state

R, T, W, D, X = State.RECEIVED, State.ROUTED, State.IN_WORK, State.RESOLVED, State.WITHDRAWN

EXPECTED = {
    (R, Action.ROUTE): T,
    (T, Action.TAKE): W,
    (W, Action.RESOLVE): D,
    (T, Action.RETURN): R,
    (W, Action.RETURN): R,
    (D, Action.REOPEN): W,
    (R, Action.WITHDRAW): X,
    (T, Action.WITHDRAW): X,
    (W, Action.WITHDRAW): X,
    (T, Action.REASSIGN): T,
    (W, Action.REASSIGN): T,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action_pair(state: State, action: Action) -> None:
    if (state, action) in EXPECTED:
        assert next_state(state, action) == EXPECTED[(state, action)]
    elif (state, action) in TRANSITIONS:
        assert next_state(state, action) == state, "only the listed moves change the state"
    else:
        with pytest.raises(IllegalTransition):
            next_state(state, action)


def test_withdrawn_is_final() -> None:
    assert allowed_actions(X) == frozenset()


def test_resolved_request_can_only_be_reopened_noted_or_clarified() -> None:
    assert allowed_actions(D) == {Action.REOPEN, Action.NOTE, Action.AUTHOR_MESSAGE}


def test_a_request_must_be_taken_before_it_is_resolved() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(T, Action.RESOLVE)
    assert caught.value.state == T and caught.value.action == Action.RESOLVE


def test_contacts_are_logged_only_while_someone_holds_the_request() -> None:
    assert Action.LOG_CONTACT not in allowed_actions(R)
    assert Action.LOG_CONTACT in allowed_actions(W)
