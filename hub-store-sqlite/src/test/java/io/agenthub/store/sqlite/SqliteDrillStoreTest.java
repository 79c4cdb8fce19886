package io.agenthub.store.sqlite;

import io.agenthub.store.Stores;
import io.agenthub.tck.DrillStoreContract;

class SqliteDrillStoreTest extends DrillStoreContract {
    @Override
    protected Stores openStores() throws Exception {
        return SqliteFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return SqliteFixture.reopen(old);
    }
}
