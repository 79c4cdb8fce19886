package io.agenthub.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md that the compiler does not keep: what the core may import, which packages of
 * hub-server may import which, and that no module has packages that import each other.
 */
class ArchitectureTest {
    /** The packages of modules other than hub-core; everything else under io.agenthub is the core. */
    private static final String[] NOT_CORE = {
        "io.agenthub.server..",
        "io.agenthub.cli..",
        "io.agenthub.store.sqlite..",
        "io.agenthub.store.redis..",
        "io.agenthub.tck..",
        "io.agenthub.client..",
        "io.agenthub.bench.."
    };

    private static final String HTTP = "io.agenthub.server.http..";
    private static final String MCP = "io.agenthub.server.mcp..";
    private static final String CLI = "io.agenthub.cli..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // The Redis store's test-jar is on the classpath as a jar; its classes are tests too.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.agenthub");
    }

    @Test
    void the_core_imports_no_driver_server_json_library_or_protocol_sdk() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.agenthub..")
                .and()
                .resideOutsideOfPackages(NOT_CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.sqlite..",
                        "java.sql..",
                        "io.lettuce..",
                        "io.netty..",
                        "reactor..",
                        "org.eclipse.jetty..",
                        "jakarta.servlet..",
                        "com.fasterxml.jackson..",
                        "tools.jackson..",
                        "io.modelcontextprotocol..",
                        "picocli..",
                        "io.micrometer..")
                .because("hub-core holds records, services and the storage SPI; drivers and protocols live in the"
                        + " modules and packages that adapt them");
        rule.check(classes);
    }

    @Test
    void the_http_adapter_imports_no_other_adapter() {
        noClasses()
                .that()
                .resideInAPackage(HTTP)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(MCP, CLI)
                .because("what adapters share lives below them, in io.agenthub.server.wire")
                .check(classes);
    }

    @Test
    void the_mcp_adapter_imports_no_other_adapter() {
        noClasses()
                .that()
                .resideInAPackage(MCP)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP, CLI)
                .because("what adapters share lives below them, in io.agenthub.server.wire")
                .check(classes);
    }

    @Test
    void the_cli_imports_no_other_adapter() {
        noClasses()
                .that()
                .resideInAPackage(CLI)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP, MCP)
                .because("the CLI talks to a hub over HTTP as a client; serve starts the composition root")
                .check(classes);
    }

    @Test
    void only_the_cli_uses_the_composition_root() {
        noClasses()
                .that()
                .resideInAPackage("io.agenthub..")
                .and()
                .resideOutsideOfPackages("io.agenthub.server", CLI)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.agenthub.server")
                .because("the composition root (Hub) builds everything; nothing it builds may reach back into it")
                .check(classes);
    }

    @Test
    void the_shared_protocol_package_imports_no_adapter_service_graph_or_root() {
        noClasses()
                .that()
                .resideInAPackage("io.agenthub.server.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        HTTP,
                        MCP,
                        CLI,
                        "io.agenthub.server",
                        "io.agenthub.server.services..",
                        "io.agenthub.server.ops..")
                .check(classes);
    }

    @Test
    void hub_core_has_no_package_cycles() {
        slices().matching("io.agenthub.(**)")
                .should()
                .beFreeOfCycles()
                .check(classes.that(resideOutsideOfPackages(NOT_CORE)));
    }

    @Test
    void hub_server_has_no_package_cycles() {
        slices().matching("io.agenthub.(**)")
                .should()
                .beFreeOfCycles()
                .check(classes.that(resideInAnyPackage("io.agenthub.server..", CLI)));
    }

    @Test
    void the_stores_the_contract_suites_and_the_client_have_no_package_cycles() {
        slices().matching("io.agenthub.(**)")
                .should()
                .beFreeOfCycles()
                .check(classes.that(resideInAnyPackage(
                        "io.agenthub.store.sqlite..",
                        "io.agenthub.store.redis..",
                        "io.agenthub.tck..",
                        "io.agenthub.client..")));
    }
}
