/** The append-only audit trail of security- and ownership-relevant actions, written by the hub itself. */
package io.agenthub.audit;
