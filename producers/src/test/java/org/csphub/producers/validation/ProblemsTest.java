package org.csphub.producers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void shouldKeepAShortMessageWhole() {
        final Problems problems = new Problems("asb.csv", 4);

        problems.add("category", 3, RejectionCode.NOT_IN_ENUM, "'LOUD' is not one of PERSONAL, NUISANCE, ENVIRONMENTAL");

        assertThat(problems.reasons()).singleElement().satisfies(reason -> assertThat(reason.getMessage())
                .isEqualTo("asb.csv line 4, column 3 (category): 'LOUD' is not one of PERSONAL, NUISANCE, ENVIRONMENTAL"));
    }

    @Test
    void shouldKeepTheStartAndTheEndOfALongMessageWithinItsBound() {
        final Problems problems = new Problems("asb.csv", 4);
        final String value = "a".repeat(3000) + "b".repeat(3000);

        problems.add("category", 3, RejectionCode.NOT_IN_ENUM, "'" + value + "' is not one of PERSONAL, NUISANCE");

        final String message = problems.reasons().get(0).getMessage();
        assertThat(message).hasSize(Problems.MAX_MESSAGE)
                .startsWith("asb.csv line 4, column 3 (category): 'aaa")
                .contains("a \u2026 b")
                .endsWith("bbb' is not one of PERSONAL, NUISANCE");
    }

    @Test
    void shouldNotSplitACharacterOfTwoCharsWhenCutting() {
        final String message = "x".repeat(665) + "\uD83D\uDE00".repeat(400);

        final String bounded = Problems.bounded(message);

        assertThat(bounded.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).isZero();
        assertThat(bounded.codePoints().filter(c -> Character.isSurrogate((char) c)).count()).isZero();
    }

    @Test
    void shouldCountTheReasonsBeyondItsLimitInALastOne() {
        final Problems problems = new Problems("asb.csv", 2);
        for (int column = 1; column <= Problems.MAX_REASONS + 10; column++) {
            problems.add("", column, RejectionCode.UNNAMED_COLUMN, "a value under a column without a name");
        }

        assertThat(problems.reasons()).hasSize(Problems.MAX_REASONS + 1);
        assertThat(problems.reasons().get(Problems.MAX_REASONS).getMessage())
                .isEqualTo("asb.csv line 2: and 10 more reason(s) of the same kinds");
    }
}
