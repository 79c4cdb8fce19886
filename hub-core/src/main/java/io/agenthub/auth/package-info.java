/**
 * Identity: bearer tokens, join keys and roles. Secrets are stored hashed and compared in constant time; the acting
 * principal always comes from the credential.
 */
package io.agenthub.auth;
