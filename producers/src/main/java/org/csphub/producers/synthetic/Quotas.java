package org.csphub.producers.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Exact shares: {@code total} items split by weights with the largest-remainder method, then dealt in
 * random order, so that a generated file hits its calibration figures to the nearest item instead of
 * wandering around them.
 */
final class Quotas {

    private Quotas() {
    }

    static int[] allocate(final int total, final double[] weights) {
        final double sum = IntStream.range(0, weights.length).mapToDouble(i -> weights[i]).sum();
        final int[] counts = new int[weights.length];
        final double[] remainders = new double[weights.length];
        int given = 0;
        for (int i = 0; i < weights.length; i++) {
            final double exact = total * weights[i] / sum;
            counts[i] = (int) Math.floor(exact);
            remainders[i] = exact - counts[i];
            given += counts[i];
        }
        final List<Integer> order = IntStream.range(0, weights.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -remainders[i]).thenComparing(i -> i)).toList();
        for (int k = 0; given < total; k++, given++) {
            counts[order.get(k % order.size())]++;
        }
        return counts;
    }

    /** {@code labels[i]} repeated as often as its quota, shuffled. */
    static <T> List<T> deal(final List<T> labels, final double[] weights, final int total, final Random random) {
        final int[] counts = allocate(total, weights);
        final List<T> dealt = new ArrayList<>(total);
        for (int i = 0; i < labels.size(); i++) {
            dealt.addAll(Collections.nCopies(counts[i], labels.get(i)));
        }
        Collections.shuffle(dealt, random);
        return dealt;
    }
}
