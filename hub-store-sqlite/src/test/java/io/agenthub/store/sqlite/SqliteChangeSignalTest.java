package io.agenthub.store.sqlite;

import io.agenthub.store.Stores;
import io.agenthub.tck.ChangeSignalContract;

class SqliteChangeSignalTest extends ChangeSignalContract {
    @Override
    protected Stores openStores() throws Exception {
        return SqliteFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return SqliteFixture.reopen(old);
    }
}
