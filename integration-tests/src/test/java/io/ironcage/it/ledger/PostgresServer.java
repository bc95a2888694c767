package io.ironcage.it.ledger;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for the integration tests, run from the binaries of Debian's
 * {@code postgresql} package ({@code initdb}, {@code pg_ctl}, {@code createdb}) rather than a container, so the tests
 * need no Docker. Each instance gets a fresh data directory under {@code /tmp}, a free port and a database
 * {@code iron} owned by superuser {@code iron}; {@link #stop()} kills the server and deletes the directory.
 * <p>
 * Authentication is {@code trust} (no password), which is acceptable only because the server listens on
 * 127.0.0.1 and its Unix socket lives in the 0700 data directory. PostgreSQL refuses to run as root, so when the
 * JVM is root the commands run as the {@code postgres} user (created by the Debian package) through {@code runuser}.
 * Missing binaries are an error, never a skip: {@code .ci/run} installs the package on a fresh machine.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "iron";
    private static final String DATABASE = "iron";
    private static final long TIMEOUT_SECONDS = 60;
    private static final int START_ATTEMPTS = 3;

    private final Path bin;
    private final Path dataDir;
    private final boolean root;
    private final int port;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread shutdownHook;

    private PostgresServer(Path bin, Path dataDir, boolean root, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.root = root;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "iron-pg-shutdown");
    }

    /** Initialises a fresh cluster, starts it on a free loopback port and creates database {@code iron}. */
    public static PostgresServer start() {
        Path bin = findBinaries();
        boolean root = isRoot();
        Path dataDir;
        try {
            // Created 0700 by the JDK on POSIX; initdb wants it empty and owned by the user that runs the server.
            dataDir = Files.createTempDirectory(Path.of("/tmp"), "iron-pg");
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            if (root) {
                UserPrincipal postgres = dataDir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(dataDir, postgres);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare a PostgreSQL data directory under /tmp"
                    + (root ? " owned by user postgres (does it exist?)" : ""), e);
        }
        PostgresServer server = null;
        try {
            run(bin, root, dataDir, "initdb", "-D", dataDir.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync");
            for (int attempt = 1;; attempt++) {
                server = new PostgresServer(bin, dataDir, root, freePort());
                try {
                    server.pgCtlStart();
                    break;
                } catch (IllegalStateException e) {
                    // Another process may have taken the port between freePort() and the server's bind.
                    if (attempt >= START_ATTEMPTS || !e.getMessage().contains("Address already in use")) {
                        throw e;
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            run(bin, root, dataDir, "createdb", "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", USER,
                    DATABASE);
            return server;
        } catch (RuntimeException e) {
            if (server != null) {
                server.stopQuietly();
            }
            deleteRecursively(dataDir);
            throw e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return "";
    }

    public int port() {
        return port;
    }

    /** Kills the server ({@code -m immediate}: the data is thrown away anyway) and deletes its data directory. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Shutdown in progress (we may be the hook), or the hook was never registered.
        }
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                run(bin, root, dataDir, "pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test PostgreSQL server in " + dataDir + ": " + e.getMessage());
        }
    }

    private void pgCtlStart() {
        Path log = dataDir.resolve("log");
        String options = "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off";
        try {
            Files.deleteIfExists(log); // a previous attempt's
            run(bin, root, dataDir, "pg_ctl", "-D", dataDir.toString(), "-o", options, "-l", log.toString(), "-w",
                    "start");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n--- server log " + log + " ---\n" + read(log), e);
        }
    }

    /** Runs one of the PostgreSQL programs (as {@code postgres} when root), failing with its output. */
    private static void run(Path bin, boolean root, Path workDir, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(Arrays.asList(args));
        Path output = null;
        try {
            output = Files.createTempFile("iron-pg-cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    // The data dir, not the JVM's cwd: user postgres may not be able to enter the latter.
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    // A file, not a pipe: the server pg_ctl forks must never hold our end open.
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PG"));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ",
                        command) + "\n" + read(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + String.join(" ",
                        command) + "\n" + read(output));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A stray temp file is harmless.
                }
            }
        }
    }

    /** {@code IRON_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}, else the PATH. */
    private static Path findBinaries() {
        String configured = System.getenv("IRON_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!hasBinaries(dir)) {
                throw new IllegalStateException("IRON_PG_BIN=" + configured + " has no executable initdb and pg_ctl");
            }
            return dir;
        }
        Optional<Path> debian = Optional.empty();
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> dirs = Files.list(versions)) {
                debian = dirs.filter(d -> d.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                        .map(d -> d.resolve("bin"))
                        .filter(PostgresServer::hasBinaries)
                        .max(Comparator.comparing(d -> d.getParent().getFileName().toString(),
                                PostgresServer::compareVersions));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (debian.isPresent()) {
            return debian.get();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty() && hasBinaries(Path.of(entry))) {
                    return Path.of(entry);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL binaries not found: install Debian's postgresql package "
                + "(apt-get install -y postgresql; .ci/run does this) or set IRON_PG_BIN");
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static int compareVersions(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(x, y);
    }

    private static boolean isRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor(10, TimeUnit.SECONDS) && "0".equals(uid);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the test PostgreSQL data directory " + dir + ": " + e);
        }
    }
}
