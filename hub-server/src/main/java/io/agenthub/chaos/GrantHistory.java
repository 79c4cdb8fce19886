package io.agenthub.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The history of lease grants as clients saw them, for {@link LeaseSafetyChecker}. Times are this process's monotonic
 * clock ({@link #now()}, nanoseconds), which every client in the process shares, so grants seen by different clients
 * (talking to different hub nodes, whatever those nodes' clocks say) compare correctly.
 *
 * <p>Clients account for their lease conservatively: a grant is valid from when the client received it until the
 * client's <em>send</em> time of the acquire plus the TTL (the hub cannot have started the lease before the request was
 * sent, so the hub's expiry is never earlier), or until the client sent its release, whichever is first. A request
 * that failed or timed out grants nothing the client may use, whatever the hub did with it.
 */
public final class GrantHistory {
    private final long origin = System.nanoTime();
    private final ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();

    /**
     * One grant as a client saw it.
     *
     * @param from when the client had the grant (received the answer), nanoseconds on {@link #now()}'s clock
     * @param until when the client stops counting on it (exclusive)
     * @param node which hub node granted it (for reports)
     */
    public record Grant(String resource, String holder, long token, long from, long until, String node) {
        /** A grant whose validity is already over when it arrives (the call took longer than the TTL) is none. */
        public boolean usable() {
            return until > from;
        }
    }

    /** Nanoseconds since this history began. */
    public long now() {
        return System.nanoTime() - origin;
    }

    /** The conservative end of a lease acquired by a request sent at {@code sentAt} with {@code ttl}. */
    public static long validUntil(long sentAt, Duration ttl) {
        return sentAt + ttl.toNanos();
    }

    /** Records a grant; {@code until} already shortened by a release the client sent. */
    public void record(String resource, String holder, long token, long from, long until, String node) {
        grants.add(new Grant(resource, holder, token, from, until, node));
    }

    public int size() {
        return grants.size();
    }

    public List<Grant> grants() {
        return new ArrayList<>(grants);
    }
}
