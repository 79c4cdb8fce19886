package io.agenthub.tck;

import io.agenthub.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every contract suite. A backend supplies a fresh, empty {@link Stores} per test and can reopen the same data
 * as a restarted hub would.
 */
public abstract class StoresContract {
    protected Stores stores;
    protected final MutableClock clock = MutableClock.atSomeFixedTime();

    /** A new, empty backend for one test. */
    protected abstract Stores openStores() throws Exception;

    /** Closes {@code old} and opens the same underlying data again, as a hub restart does. */
    protected abstract Stores reopen(Stores old) throws Exception;

    @BeforeEach
    void openBackend() throws Exception {
        stores = openStores();
    }

    @AfterEach
    void closeBackend() {
        if (stores != null) {
            stores.close();
        }
    }

    protected void restart() throws Exception {
        stores = reopen(stores);
    }
}
