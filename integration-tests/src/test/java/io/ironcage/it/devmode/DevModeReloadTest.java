package io.ironcage.it.devmode;

import static org.hamcrest.Matchers.equalTo;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Dev mode: editing a policy plugin's class or the services file takes effect on the next call to the router,
 * without restarting dev mode and without the agent changing its URL.
 */
class DevModeReloadTest {

    static final int PORT = 18962;
    static final String POLICIES = "META-INF/services/io.ironcage.runtime.spi.Policy";

    @RegisterExtension
    static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(StampPolicy.class, SecondPolicy.class)
                    .addAsResource(new StringAsset(StampPolicy.class.getName() + "\n"), POLICIES)
                    .addAsResource(new StringAsset("quarkus.iron.token=ic_dev\n"
                            + "quarkus.iron.router.port=" + PORT + "\n"), "application.properties"));

    @Test
    void editedPluginIsUsedOnTheNextCall() {
        call().then().statusCode(418).body("error.message", equalTo("stamp v1"));

        DEV.modifySourceFile(StampPolicy.class, source -> source.replace("stamp v1", "stamp v2"));
        call().then().statusCode(418).body("error.message", equalTo("stamp v2"));

        // A new plugin listed in the services file runs too (before the stamp policy: lower order).
        DEV.modifyResourceFile(POLICIES, s -> SecondPolicy.class.getName() + "\n" + s);
        call().then().statusCode(451).body("error.message", equalTo("second policy"));
    }

    private static io.restassured.response.Response call() {
        RequestSpecification spec = RestAssured.given().baseUri("http://127.0.0.1:" + PORT)
                .header("Authorization", "Bearer ic_dev").contentType("application/json")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        return spec.post("/v1/chat/completions");
    }
}
