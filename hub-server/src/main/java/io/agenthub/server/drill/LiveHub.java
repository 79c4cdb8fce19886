package io.agenthub.server.drill;

import io.agenthub.alert.AlertEngine;
import io.agenthub.store.Stores;
import io.agenthub.tier.TierService;
import java.util.function.Consumer;

/**
 * What the drill and the chaos runs use of the live hub; everything else they do happens on a scratch namespace.
 *
 * @param stores where scratch namespaces are opened and drill runs are kept
 * @param tiers the live tier, changed and restored only by the drill's live tier step
 * @param alerts the tiers the alert rules demand, kept as they are by the live tier step
 * @param announce posts a summary of each run in the ops channel
 */
public record LiveHub(Stores stores, TierService tiers, AlertEngine alerts, Consumer<String> announce) {}
