package io.ironcage.it.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks for the agent tests. */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether a process runs: present and not a zombie (an orphan's exit status waits for PID 1, which may reap it
     * late, and a zombie still counts as alive for {@link ProcessHandle#isAlive()}).
     */
    public static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
