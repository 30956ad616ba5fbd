package org.cellpilot.torch.checkpoint;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/** Where a direct buffer's memory starts, for tests that check that two tensors share memory. */
final class NativeAddress {
    private NativeAddress() {
    }

    static long of(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct)) + direct.position();
    }
}
