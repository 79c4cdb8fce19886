package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.message.Message;
import io.agenthub.message.NewMessage;
import io.agenthub.store.Stores;
import io.agenthub.tck.MessageStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteMessageStoreTest extends MessageStoreContract {
    @Override
    protected Stores openStores() throws Exception {
        return SqliteFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return SqliteFixture.reopen(old);
    }

    @Test
    void purged_messages_leave_no_inbox_rows_behind() throws Exception {
        stores.messages().append(NewMessage.chat("general", "alice", "@bob", "", List.of("bob"), clock.instant()));
        stores.messages().append(NewMessage.direct(Message.Kind.DM, "alice", "bob", "hi", clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        stores.messages().append(NewMessage.direct(Message.Kind.DM, "alice", "carol", "hi", clock.instant()));
        stores.messages().purge(clock.instant(), 100);

        Path file = ((SqliteStores) stores).dataDir().resolve("hub.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rs = c.createStatement().executeQuery("SELECT agent_id FROM inbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("carol");
            assertThat(rs.next()).as("only carol's entry is left").isFalse();
        }
    }
}
