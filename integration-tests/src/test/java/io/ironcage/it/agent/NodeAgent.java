package io.ironcage.it.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The Node agent of the tests, with the official {@code openai} package installed from the npm registry into
 * {@code target/node-agent} (once; npm is a prerequisite of the tests, like python3).
 */
final class NodeAgent {

    private static final Path SOURCE = Path.of("src", "test", "resources", "agents", "node");
    private static final Path DIR = Path.of("target", "node-agent").toAbsolutePath();

    private NodeAgent() {
    }

    static synchronized Path install() throws Exception {
        Files.createDirectories(DIR);
        for (String file : new String[] { "package.json", "agent.mjs" }) {
            Files.copy(SOURCE.resolve(file), DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("openai"))) {
            Path log = DIR.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install of the Node agent's openai package failed (Node and npm "
                        + "are needed by the tests):\n" + Files.readString(log));
            }
        }
        return DIR;
    }
}
