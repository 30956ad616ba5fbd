package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code serve}'s refusals happen before any model loads or any port opens. */
class ServeCommandTest {
    @Test
    void anotherAddressThanLoopbackNeedsAToken() {
        CliTest.Run r = CliTest.cli("serve", "--host", "0.0.0.0", "--port", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--token"), r.err());
    }

    @Test
    void theImagesFolderMustExist() {
        CliTest.Run r = CliTest.cli("serve", "--images", "/no/such/folder", "--port", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("not a folder"), r.err());
    }
}
