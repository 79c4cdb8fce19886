/** The storage SPI's entry point: {@link io.agenthub.store.Stores} bundles one backend's stores. */
package io.agenthub.store;
