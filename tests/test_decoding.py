"""Decoding against hand-built toy models whose best sequences are known."""

import numpy as np
import pytest

from seqkit.decoding import (
    allowed_probabilities,
    beam_search,
    decode,
    greedy_search,
    map_state,
    sample,
)

START, END = 0, 1
A, B, C = 2, 3, 4
V = 5


def table_step(table):
    """A Markov model: ``table[previous token]`` is the distribution of the next token.

    The state counts the steps taken (it must travel with the beams).
    """
    log_table = np.log(np.maximum(np.asarray(table, dtype=float), 1e-300))

    def step(tokens, state):
        return log_table[tokens], {"t": state["t"] + 1}

    return step


def trap_table():
    """Greedy takes A (0.6) then must pay 0.5 to end; B (0.4) ends with probability 1.

    Best sequence: B END (0.4) beats A END / A C (0.3 each).
    """
    table = np.zeros((V, V))
    table[START, [A, B]] = [0.6, 0.4]
    table[A, [END, C]] = [0.5, 0.5]
    table[B, END] = 1.0
    table[C, END] = 1.0
    table[END, END] = 1.0
    return table


def state_for(n):
    return {"t": np.zeros(n)}


def test_beam_beats_greedy_where_a_better_sequence_exists():
    step = table_step(trap_table())
    common = dict(start_id=START, end_id=END, max_length=5)
    greedy = greedy_search(step, state_for(2), **common)
    beam = beam_search(step, state_for(2), beam_width=2, **common)
    assert [s.tolist() for s in greedy.sequences] == [[A, END]] * 2
    np.testing.assert_allclose(greedy.scores, np.log(0.3))
    assert [s.tolist() for s in beam.sequences] == [[B, END]] * 2
    np.testing.assert_allclose(beam.scores, np.log(0.4))
    assert (beam.scores > greedy.scores).all()


def random_model(seed, vocabulary=7, hidden=4):
    """A small random recurrent model: state ``h``, next token from ``softmax(W h)``."""
    rng = np.random.default_rng(seed)
    W_in = rng.normal(size=(vocabulary, hidden))
    W_h = rng.normal(size=(hidden, hidden)) * 0.5
    W_out = rng.normal(size=(hidden, vocabulary)) * 2

    def step(tokens, state):
        h = np.tanh(W_in[tokens] + state["h"] @ W_h)
        logits = h @ W_out
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)), {"h": h}

    return step


def brute_force_best(step, h0, max_length, vocabulary=7):
    """The most likely sequence (ending at END or at max_length) by enumerating all."""
    best = (-np.inf, None)
    frontier = [([], 0.0, {"h": h0[None]}, START)]
    for _ in range(max_length):
        grown = []
        for tokens, score, state, last in frontier:
            log_probs, new_state = step(np.array([last]), state)
            for token in range(vocabulary):
                total = score + log_probs[0, token]
                if token == END or len(tokens) + 1 == max_length:
                    best = max(best, (total, tokens + [token]), key=lambda b: b[0])
                else:
                    grown.append((tokens + [token], total, new_state, token))
        frontier = grown
    return best


def test_beam_width_1_equals_greedy_on_a_random_model():
    step = random_model(0)
    h0 = np.random.default_rng(1).normal(size=(6, 4))
    common = dict(start_id=START, end_id=END, max_length=6)
    greedy = greedy_search(step, {"h": h0}, **common)
    beam = beam_search(step, {"h": h0}, beam_width=1, **common)
    assert [s.tolist() for s in greedy.sequences] == [s.tolist() for s in beam.sequences]
    np.testing.assert_allclose(greedy.scores, beam.scores)


def test_wide_beam_finds_the_exhaustive_optimum():
    step = random_model(3)
    h0 = np.random.default_rng(4).normal(size=(3, 4))
    beam = beam_search(step, {"h": h0}, start_id=START, end_id=END, max_length=3,
                       beam_width=7 * 7 * 7)
    for i in range(3):
        score, tokens = brute_force_best(step, h0[i], 3)
        assert beam.sequences[i].tolist() == tokens
        assert beam.scores[i] == pytest.approx(score)


def test_scores_are_the_log_likelihood_of_the_returned_sequence():
    step = random_model(5)
    h0 = np.random.default_rng(6).normal(size=(4, 4))
    result = beam_search(step, {"h": h0}, start_id=START, end_id=END, max_length=5,
                         beam_width=3)
    for i, tokens in enumerate(result.sequences):
        state, last, total = {"h": h0[i : i + 1]}, START, 0.0
        for token in tokens:
            log_probs, state = step(np.array([last]), state)
            total += log_probs[0, token]
            last = token
        assert result.scores[i] == pytest.approx(total)


def test_length_penalty_prefers_longer_sequences():
    # START -> END (0.3) or A (0.7); A -> C (0.9) or END (0.1); C -> END (1).
    table = np.zeros((V, V))
    table[START, [END, A]] = [0.35, 0.65]
    table[A, [C, END]] = [0.5, 0.5]
    table[C, END] = 1.0
    table[END, END] = 1.0
    step = table_step(table)
    common = dict(start_id=START, end_id=END, max_length=5, beam_width=3)
    # log-likelihoods: [END] 0.35, [A, END] 0.325, [A, C, END] 0.325
    plain = beam_search(step, state_for(1), length_penalty=0.0, **common)
    normalised = beam_search(step, state_for(1), length_penalty=1.0, **common)
    assert plain.sequences[0].tolist() == [END]
    assert normalised.sequences[0].tolist() == [A, C, END]


def test_max_length_cuts_sequences_without_end():
    table = np.zeros((V, V))
    table[:, A] = 1.0
    step = table_step(table)
    for strategy in ("greedy", "beam", "sample"):
        result = decode(step, state_for(2), start_id=START, end_id=END, max_length=4,
                        strategy=strategy, random_state=0)
        assert [s.tolist() for s in result.sequences] == [[A] * 4] * 2


def test_sampling_follows_the_model_and_is_seeded():
    step = table_step(trap_table())
    common = dict(start_id=START, end_id=END, max_length=5)
    first = sample(step, state_for(4000), random_state=0, **common)
    again = sample(step, state_for(4000), random_state=0, **common)
    assert [s.tolist() for s in first.sequences] == [s.tolist() for s in again.sequences]
    starts = np.array([s[0] for s in first.sequences])
    assert np.mean(starts == A) == pytest.approx(0.6, abs=0.03)
    cold = sample(step, state_for(500), temperature=0.05, random_state=0, **common)
    assert all(s[0] == A for s in cold.sequences)  # A then END or C: a true tie


def test_state_structures_and_bad_arguments():
    assert map_state(lambda a: a * 2, {"x": [np.ones(2), (np.ones(1),)]})["x"][1][0][0] == 2
    step = table_step(trap_table())
    with pytest.raises(ValueError, match="beam_width=0"):
        beam_search(step, state_for(1), start_id=START, end_id=END, max_length=3,
                    beam_width=0)
    with pytest.raises(ValueError, match="max_length=0"):
        greedy_search(step, state_for(1), start_id=START, end_id=END, max_length=0)
    with pytest.raises(ValueError, match="temperature"):
        sample(step, state_for(1), start_id=START, end_id=END, max_length=3, temperature=0)
    with pytest.raises(ValueError, match="strategy='best'"):
        decode(step, state_for(1), start_id=START, end_id=END, max_length=3,
               strategy="best")
    with pytest.raises(ValueError, match="different numbers of rows"):
        greedy_search(step, {"a": np.zeros(2), "b": np.zeros(3)}, start_id=START,
                      end_id=END, max_length=3)


@pytest.mark.parametrize("name, value, need", [
    ("temperature", float("inf"), "a finite number > 0"),
    ("temperature", float("nan"), "a finite number > 0"),
    ("temperature", -1.0, "a finite number > 0"),
    ("length_penalty", float("nan"), "a finite number"),
    ("length_penalty", float("-inf"), "a finite number"),
])
def test_temperature_and_length_penalty_must_be_finite(name, value, need):
    strategy = "sample" if name == "temperature" else "beam"
    with pytest.raises(ValueError, match=rf"{name}={value}; it must be {need}"):
        decode(table_step(trap_table()), state_for(1), start_id=START, end_id=END,
               max_length=3, strategy=strategy, **{name: value})


@pytest.mark.parametrize("top_k", [float("nan"), float("inf"), 0, 1.5, True, "3"])
def test_top_k_must_be_an_int_at_least_1(top_k):
    with pytest.raises(ValueError, match=rf"top_k={top_k!r}; it must be an int >= 1"):
        sample(table_step(trap_table()), state_for(1), start_id=START, end_id=END,
               max_length=3, top_k=top_k)


def test_top_k_and_top_p_never_draw_outside_the_allowed_tokens():
    step = random_model(7)
    h0 = np.random.default_rng(8).normal(size=(300, 4))
    common = dict(start_id=START, end_id=END, max_length=6)
    for options in (dict(top_k=2), dict(top_p=0.5), dict(top_k=3, top_p=0.7, temperature=2.0)):
        result = sample(step, {"h": h0}, random_state=0, **options, **common)
        state, last = {"h": h0}, np.full(len(h0), START)
        for t in range(6):
            log_probs, state = step(last, state)
            allowed = allowed_probabilities(log_probs, options.get("temperature", 1.0),
                                            options.get("top_k"), options.get("top_p")) > 0
            drawn = np.array([s[t] if len(s) > t else END for s in result.sequences])
            alive = np.array([len(s) > t for s in result.sequences])
            assert allowed[np.arange(len(h0)), drawn][alive].all(), options
            if "top_k" in options:
                assert (allowed.sum(axis=1) <= options["top_k"]).all()
            last = drawn
    probs = allowed_probabilities(np.log(np.array([[0.5, 0.3, 0.15, 0.05]])), top_p=0.79)
    assert (probs > 0).tolist() == [[True, True, False, False]]
    probs = allowed_probabilities(np.log(np.array([[0.5, 0.3, 0.15, 0.05]])), top_p=0.81)
    assert (probs > 0).tolist() == [[True, True, True, False]]


def test_n_best_gives_the_best_beams_in_order():
    step = table_step(trap_table())
    result = beam_search(step, state_for(2), start_id=START, end_id=END, max_length=5,
                         beam_width=3, n_best=3)
    assert [s.tolist() for s in result.sequences[0]] == [[B, END], [A, END], [A, C, END]]
    np.testing.assert_allclose(result.scores, np.log([[0.4, 0.3, 0.3]] * 2))
    with pytest.raises(ValueError, match="n_best=4"):
        beam_search(step, state_for(1), start_id=START, end_id=END, max_length=3,
                    beam_width=3, n_best=4)
    with pytest.raises(ValueError, match="n_best=2 needs strategy='beam'"):
        decode(step, state_for(1), start_id=START, end_id=END, max_length=3,
               strategy="greedy", n_best=2)


def test_no_repeat_ngram_size_blocks_repeated_ngrams():
    table = np.zeros((V, V))
    table[:, [A, B, C, END]] = [0.6, 0.3, 0.07, 0.03]
    step = table_step(table)
    common = dict(start_id=START, end_id=END, max_length=8, random_state=0)
    plain = decode(step, state_for(3), strategy="greedy", **common)
    assert plain.sequences[0].tolist() == [A] * 8
    for strategy in ("greedy", "beam", "sample"):
        for n in (1, 2, 3):
            result = decode(step, state_for(3), strategy=strategy, no_repeat_ngram_size=n,
                            **common)
            for tokens in result.sequences:
                body = [t for t in tokens.tolist() if t != END]
                grams = [tuple(body[i : i + n]) for i in range(len(body) - n + 1)]
                assert len(grams) == len(set(grams)), (strategy, n, tokens)
    blocked = greedy_search(step, state_for(1), start_id=START, end_id=END, max_length=8,
                            no_repeat_ngram_size=2)
    assert blocked.sequences[0].tolist()[:4] == [A, A, B, A]
