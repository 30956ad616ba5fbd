package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Session#predict}: Meta's SamPredictor.predict on the golden sam_tiny cases, and no trace in the session. */
class SessionPredictTest {
    private static CellPilot pilot;
    private static StateDict golden;

    @BeforeAll
    static void load() {
        pilot = CellPilot.builder().sam(Golden.dir("sam_tiny").resolve("weights.safetensors")).decoderHeads(2).build();
        golden = StateDict.load(Golden.dir("sam_tiny").resolve("golden.safetensors"));
    }

    @AfterAll
    static void close() {
        pilot.close();
    }

    private static void assertMatches(String kase, Prediction p) {
        try (Tensor iou = golden.get(kase + "/iou"); Tensor logits = golden.get(kase + "/low_res_logits");
                Tensor masks = golden.get(kase + "/masks")) {
            int c = (int) iou.size(0);
            assertEquals(c, p.count());
            float[] lowRes = new float[(int) logits.numel()];
            float[] ious = new float[c];
            byte[] bits = new byte[(int) masks.numel()];
            int n = lowRes.length / c;
            int pixels = p.width() * p.height();
            for (int i = 0; i < c; i++) {
                System.arraycopy(p.lowResLogits(i), 0, lowRes, i * n, n);
                ious[i] = (float) p.iou(i);
                boolean[] m = p.mask(i);
                for (int k = 0; k < pixels; k++) {
                    bits[i * pixels + k] = (byte) (m[k] ? 1 : 0);
                }
            }
            try (Tensor ours = Tensor.of(lowRes, logits.shape()); Tensor ourIou = Tensor.of(ious, c)) {
                Golden.assertClose(kase + " low_res_logits", ours, logits);
                Golden.assertClose(kase + " iou", ourIou, iou);
            }
            byte[] expected = masks.toByteArray();
            int differ = 0;
            for (int k = 0; k < bits.length; k++) {
                differ += bits[k] == expected[k] ? 0 : 1;
            }
            assertTrue(differ <= bits.length / 1000, kase + ": " + differ + " mask pixels differ");
        }
    }

    @Test
    void aSinglePointWithMultimaskGivesSamsThreeCandidates() {
        try (Session s = pilot.open(SessionTest.goldenImage())) {
            assertMatches("point_multi", s.predict(Prompt.positive(150, 100), null, true));
            assertTrue(s.masks().isEmpty(), "no mask made");
            assertFalse(s.undo(), "nothing recorded");
        }
    }

    @Test
    void aMaskInputIsUsedAsGiven() {
        try (Session s = pilot.open(SessionTest.goldenImage()); Tensor mask = golden.get("refine_with_mask/mask_input")) {
            Prompt prompt = Prompt.positive(150, 100).and(Prompt.positive(60, 50)).and(Prompt.negative(250, 160))
                    .and(Prompt.negative(120, 120));
            s.predict(Prompt.positive(1, 1), null, false); // encodes the image: the session keeps its embedding
            long live = Tensor.liveCount();
            Prediction p = s.predict(prompt, mask.toFloatArray(), false);
            assertEquals(live, Tensor.liveCount(), "every native tensor of the prediction freed");
            assertMatches("refine_with_mask", p);
        }
    }

    @Test
    void badInputAndAClosedSessionGetClearErrors() {
        Session s = pilot.open(SessionTest.goldenImage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.predict(Prompt.positive(1, 1), new float[10], false));
        assertTrue(e.getMessage().contains("64 x 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.predict(Prompt.positive(1000, 1), null, false));
        s.close();
        assertThrows(IllegalStateException.class, () -> s.predict(Prompt.positive(1, 1), null, false));
    }
}
