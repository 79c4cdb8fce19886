package io.agenthub.alert;

/** Delivers alert firings and resolutions somewhere (group chat, webhooks). */
public interface AlertNotifier {
    /**
     * Delivers one event. Called once per event, on the node that recorded it. Must not block for long (deliver
     * asynchronously if it may) and must not throw.
     */
    void deliver(AlertEvent event, AlertRule rule);
}
