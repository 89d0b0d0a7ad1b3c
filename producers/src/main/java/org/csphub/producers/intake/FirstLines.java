package org.csphub.producers.intake;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The line on which each id of one file was first seen, for finding duplicate ids. A file of a
 * million rows has a million ids, and a map of strings to boxed line numbers would hold four objects
 * per id, more than half of a 256 MiB heap and a large part of the collector's copying. This table
 * keeps the ids' characters in a few large arrays and the lines in a {@code long[]}: about 50 bytes
 * per id of ten characters and no object per id. Not thread-safe: one reader fills it in file order.
 */
final class FirstLines {

    /** The largest arena chunk, in characters (2 MiB); an id longer than this gets a chunk of its length. */
    static final int CHUNK_CHARS = 1 << 20;
    private static final int FIRST_CHUNK_CHARS = 4096;
    private static final int INITIAL_ENTRIES = 256;
    private static final int NONE = -1;
    /** Slots an insertion may probe past before its id goes to the map of crowded ids. */
    private static final int LONGEST_PROBE = 32;

    /** Open addressing with linear probing: entry index + 1, or 0 for a free slot; at most half full. */
    private int[] slots = new int[INITIAL_ENTRIES * 2];
    private int[] hashes = new int[INITIAL_ENTRIES];
    private long[] lines = new long[INITIAL_ENTRIES];
    /** Where each id's characters are: its chunk in the upper 32 bits, its offset in the chunk in the lower. */
    private long[] places = new long[INITIAL_ENTRIES];
    private int[] lengths = new int[INITIAL_ENTRIES];
    private int entries;
    /**
     * Ids whose probe in the table ran long. Many ids of one hash code (easily made on purpose) would
     * otherwise make every look-up walk past all of them; a {@link HashMap} keeps colliding strings in
     * a tree, at the cost per id that the table saves on ordinary ids.
     */
    private final Map<String, Long> crowded = new HashMap<>();
    private int size;

    private char[][] chunks = new char[4][];
    private int chunkCount;
    /** The chunk new ids go to, how far it is filled, and the size of the next (chunks double up to the largest). */
    private int currentChunk = NONE;
    private int currentFill;
    private int nextChunkChars = FIRST_CHUNK_CHARS;

    /** How many distinct ids are held. */
    int size() {
        return size;
    }

    /**
     * The line {@code id} was first seen on, or -1 when it was not seen before (then {@code line} is
     * recorded as its first line).
     */
    long putIfAbsent(final String id, final long line) {
        final int hash = id.hashCode();
        final int mask = slots.length - 1;
        int slot = spread(hash) & mask;
        int probes = 0;
        while (slots[slot] != 0) {
            final int entry = slots[slot] - 1;
            if (hashes[entry] == hash && sameId(entry, id)) {
                return lines[entry];
            }
            slot = (slot + 1) & mask;
            probes++;
        }
        if (!crowded.isEmpty()) {
            final Long first = crowded.get(id);
            if (first != null) {
                return first;
            }
        }
        if (probes > LONGEST_PROBE) {
            crowded.put(id, line);
            size++;
            return NONE;
        }
        if (entries == hashes.length) {
            growEntries();
        }
        final int entry = entries++;
        size++;
        hashes[entry] = hash;
        lines[entry] = line;
        lengths[entry] = id.length();
        places[entry] = store(id);
        slots[slot] = entry + 1;
        if (entries * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return NONE;
    }

    private static int spread(final int hash) {
        final int mixed = hash * 0x9E3779B9;
        return mixed ^ (mixed >>> 16);
    }

    private boolean sameId(final int entry, final String id) {
        final int length = lengths[entry];
        if (length != id.length()) {
            return false;
        }
        final char[] chunk = chunks[(int) (places[entry] >>> 32)];
        final int offset = (int) places[entry];
        for (int i = 0; i < length; i++) {
            if (chunk[offset + i] != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long store(final String id) {
        final int length = id.length();
        if (currentChunk == NONE || currentFill + length > chunks[currentChunk].length) {
            currentChunk = addChunk(new char[Math.max(length, nextChunkChars)]);
            currentFill = 0;
            nextChunkChars = Math.min(CHUNK_CHARS, nextChunkChars * 2);
        }
        final int offset = currentFill;
        id.getChars(0, length, chunks[currentChunk], offset);
        currentFill += length;
        return ((long) currentChunk << 32) | offset;
    }

    private int addChunk(final char[] chunk) {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        chunks[chunkCount] = chunk;
        return chunkCount++;
    }

    private void growEntries() {
        final int capacity = hashes.length + (hashes.length >> 1);
        hashes = Arrays.copyOf(hashes, capacity);
        lines = Arrays.copyOf(lines, capacity);
        places = Arrays.copyOf(places, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
    }

    private void rehash(final int slotCount) {
        final int[] grown = new int[slotCount];
        final int mask = slotCount - 1;
        for (int entry = 0; entry < entries; entry++) {
            int slot = spread(hashes[entry]) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = entry + 1;
        }
        slots = grown;
    }
}
