package io.agenthub.flag;

import java.util.List;

/**
 * Storage SPI for feature flags: the definitions and one version number that every change raises in the same atomic
 * step, so that a node can tell with one small read whether its copy is current.
 */
public interface FlagStore {
    /** Every flag by key. */
    List<Flag> list();

    /** Creates or replaces the flag; returns the new version. Atomic with the version's increment. */
    long put(Flag flag);

    /** Deletes the flag; returns the new version, or -1 (and changes nothing) if there was none. */
    long delete(String key);

    /** The version: 0 before the first change, then higher after every change. */
    long version();
}
