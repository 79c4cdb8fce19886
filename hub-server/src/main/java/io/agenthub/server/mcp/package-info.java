/**
 * The hub over the Model Context Protocol: {@link io.agenthub.server.mcp.McpEndpoint} serves stateless Streamable HTTP
 * at {@code /mcp}; the {@code XTools} classes turn each core use case into a tool that calls the same service object as
 * the REST route, with arguments declared once in {@code Params} (schema and checks) and results built by
 * {@code Results} (structured content as the REST JSON, a short text, and {@code isError} with the REST sentence for
 * domain failures). Tool names are stable; see docs/mcp.md.
 */
package io.agenthub.server.mcp;
