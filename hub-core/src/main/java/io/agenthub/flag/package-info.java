/**
 * Feature flags: typed values (boolean, string, number) with a default and rules by agent id, pool, version and a
 * percentage of agents (stable per agent). Definitions live in the store under one version number that every change
 * raises; each node keeps them in memory and reloads only when that number moved, so an evaluation costs one small
 * read.
 */
package io.agenthub.flag;
