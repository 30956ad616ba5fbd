package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cellpilot.RgbImage;
import org.junit.jupiter.api.Test;

/**
 * 8 clients × 20 prompts at once on 127.0.0.1: every answer is a 200, and each of the two images they share is
 * encoded once although its first prompts all arrive together. Latencies are printed, not asserted.
 */
class SamApiLoadTest {
    private static final int CLIENTS = 8;
    private static final int PROMPTS = 20;

    @Test
    void eightClientsTwentyPromptsEach() throws Exception {
        RgbImage image = TinyServer.goldenImage();
        String[] pngs = {TinyServer.base64Png(image, BufferedImage.TYPE_INT_RGB), TinyServer.base64Png(image, BufferedImage.TYPE_INT_ARGB)};
        try (TinyServer server = new TinyServer()) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<long[]>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String png = pngs[c % 2];
                int client = c;
                Callable<long[]> run = () -> {
                    long[] nanos = new long[PROMPTS];
                    for (int i = 0; i < PROMPTS; i++) {
                        int x = 20 + (client * 37 + i * 13) % 260;
                        int y = 15 + (client * 23 + i * 7) % 170;
                        String body = SamApiProtocolTest.extensionBody(png, null, new double[][] {{x, y}}, new int[] {1}, i % 2 == 0);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = server.post("/sam/", body);
                        nanos[i] = System.nanoTime() - t0;
                        assertEquals(200, r.statusCode(), r.body());
                    }
                    return nanos;
                };
                runs.add(clients.submit(run));
            }
            long[] all = new long[CLIENTS * PROMPTS];
            for (int c = 0; c < CLIENTS; c++) {
                System.arraycopy(runs.get(c).get(), 0, all, c * PROMPTS, PROMPTS);
            }
            clients.shutdown();
            assertEquals(2, server.server.samSessionsOpened(), "one session (one encode) per distinct PNG");
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "samapi load, %d clients x %d prompts (sam_tiny): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    CLIENTS, PROMPTS, all[all.length / 2] / 1e6, all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6, all[all.length - 1] / 1e6);
        }
    }
}
