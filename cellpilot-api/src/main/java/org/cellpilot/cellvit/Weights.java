package org.cellpilot.cellvit;

import java.util.function.Function;
import java.util.function.Predicate;
import org.cellpilot.torch.Tensor;

/**
 * Named checkpoint tensors, as a model reads them. Keys are the state-dict names below the model root
 * ({@code encoder.cls_token}, {@code decoder0.0.block.0.weight}, …).
 */
public interface Weights {
    /** A new tensor for {@code name}, owned by the caller; throws, naming the key, when there is none. */
    Tensor get(String name);

    boolean contains(String name);

    /** Adapts any named-tensor source, e.g. {@code Weights.of(stateDict::get, stateDict::contains)}. */
    static Weights of(Function<String, Tensor> get, Predicate<String> contains) {
        return new Weights() {
            @Override
            public Tensor get(String name) {
                return get.apply(name);
            }

            @Override
            public boolean contains(String name) {
                return contains.test(name);
            }
        };
    }
}
