package org.cellpilot.torch.checkpoint;

import org.cellpilot.torch.testing.NoTensorLeaks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the golden weight files: each must load (and then read every tensor) or throw a
 * {@link CheckpointException}; nothing else, no JVM crash, no hang.
 */
@ExtendWith(NoTensorLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckpointFuzzTest {
    private static final int MUTATIONS = 200;

    @TempDir
    Path dir;
    private int files;
    private int loaded;
    private int refused;

    @Test
    void mutatedSafetensors() throws IOException {
        byte[] golden = Files.readAllBytes(Golden.SAM_SAFETENSORS);
        // Most mutations land in the 8-byte length and the JSON header, where the parsing is.
        fuzz(golden, 22_800, 1);
    }

    @Test
    void mutatedTorchZip() throws IOException {
        byte[] golden = Files.readAllBytes(Golden.SAM_PTH);
        // Aim at the central directory and the local headers; data.pkl's CRC catches flips in the pickle itself.
        fuzz(golden, 16_000, 2);
    }

    /** The pickle mutated and repacked with a valid CRC, so that the unpickler and the tree walk see the damage. */
    @Test
    void mutatedPickleInAValidZip() {
        Map<String, byte[]> entries = Golden.unzip(Golden.SAM_PTH);
        byte[] pickle = entries.get("weights/data.pkl");
        Random random = new Random(3);
        for (int i = 0; i < MUTATIONS; i++) {
            Map<String, byte[]> mutated = new LinkedHashMap<>(entries);
            mutated.put("weights/data.pkl", mutate(pickle, random, pickle.length));
            check(Golden.zip(dir.resolve("pickle-" + i + ".pth"), mutated), "pickle mutation " + i);
        }
        assertBothOutcomes();
    }

    private void fuzz(byte[] golden, int hotBytes, long seed) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = mutate(golden, random, hotBytes);
            // A new file each time: rewriting one that earlier tensors still map would change them under libtorch.
            check(Files.write(dir.resolve("m" + i), mutated), "mutation " + i + " (seed " + seed + ")");
        }
        assertBothOutcomes();
    }

    /**
     * One of: 1–4 flipped bytes, a truncation, or 1–8 inserted bytes. Positions fall in the first or last
     * {@code hotBytes} of the file three times in four, anywhere otherwise.
     */
    private static byte[] mutate(byte[] original, Random random, int hotBytes) {
        int kind = random.nextInt(3);
        if (kind == 1) {
            return Arrays.copyOf(original, position(original.length, random, hotBytes));
        }
        if (kind == 2) {
            int at = position(original.length, random, hotBytes);
            byte[] inserted = new byte[1 + random.nextInt(8)];
            random.nextBytes(inserted);
            byte[] out = new byte[original.length + inserted.length];
            System.arraycopy(original, 0, out, 0, at);
            System.arraycopy(inserted, 0, out, at, inserted.length);
            System.arraycopy(original, at, out, at + inserted.length, original.length - at);
            return out;
        }
        byte[] out = original.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            out[position(out.length, random, hotBytes) % out.length] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
    }

    private static int position(int length, Random random, int hotBytes) {
        int hot = Math.min(hotBytes, length);
        if (random.nextInt(4) == 0) {
            return random.nextInt(length);
        }
        int p = random.nextInt(hot);
        return random.nextBoolean() ? p : length - 1 - p;
    }

    private void check(Path file, String what) {
        files++;
        StateDict sd;
        try {
            sd = StateDict.load(file);
        } catch (CheckpointException expected) {
            refused++;
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + " threw " + e, e);
        }
        try {
            for (String key : sd.keys()) {
                try (Tensor t = sd.get(key)) {
                    Golden.bytes(t);
                }
            }
            loaded++;
        } catch (RuntimeException | Error e) {
            fail(what + " loaded but reading its tensors threw " + e, e);
        }
    }

    private void assertBothOutcomes() {
        assertTrue(loaded > 0 && refused > 0 && loaded + refused == files,
                "loaded " + loaded + ", refused " + refused + " of " + files);
    }
}
