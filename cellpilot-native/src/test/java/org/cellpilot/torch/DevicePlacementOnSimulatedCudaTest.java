package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.torch.spi.NativeCallException;
import org.cellpilot.torch.spi.TorchBackend;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBackend;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** The simulated CUDA device refuses what a real one refuses, and allows what it allows. */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class DevicePlacementOnSimulatedCudaTest {
    private static final Device CUDA = Device.cuda(0);

    @Test
    void torchRunsOnTheSimulator() {
        assertTrue(Torch.get().cudaAvailable());
        String books = SimulatedCudaBackend.onRealGpu() ? "CUDA books over " : "simulated CUDA over ";
        assertTrue(Torch.get().backendName().startsWith(books), Torch.get().backendName());
    }

    @Test
    void opsOnCudaTensorsStayOnCudaAndAreCounted() {
        try (Scope s = Scope.open()) {
            Tensor x = Ops.to(Tensor.of(new float[] {-1, 2, -3, 4}, 2, 2), CUDA);
            long before = SimulatedCudaBackend.cudaOps("aten::relu");
            Tensor y = Ops.relu(x);
            assertEquals(CUDA, y.device());
            assertEquals(before + 1, SimulatedCudaBackend.cudaOps("aten::relu"));
            Ops.relu(Tensor.of(new float[] {1}, 1));
            assertEquals(before + 1, SimulatedCudaBackend.cudaOps("aten::relu"), "an op on CPU tensors is not a CUDA op");
            assertEquals(Device.cpu(), Ops.to(y, Device.cpu()).device());
            assertArrayEquals(new float[] {0, 2, 0, 4}, y.toFloatArray(), "reading copies to the CPU");
        }
    }

    @Test
    void mixingCudaAndCpuTensorsIsRefused() {
        try (Scope s = Scope.open()) {
            Tensor onCuda = Ops.to(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), CUDA);
            Tensor onCpu = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            assertRefused("aten::matmul", () -> Ops.matmul(onCuda, onCpu));
            assertRefused("aten::cat", () -> Ops.cat(0, onCuda, onCpu));
            assertRefused("aten::linear", () -> Ops.linear(onCuda, onCuda, Tensor.of(new float[] {1, 2}, 2)));
            assertRefused("aten::add.Tensor", () -> Ops.add(onCuda, onCpu));
            assertRefused("aten::baddbmm", () -> Ops.baddbmm(Ops.unsqueeze(onCpu, 0), Ops.unsqueeze(onCuda, 0),
                    Ops.unsqueeze(onCuda, 0), 1.0));
        }
    }

    @Test
    void zeroDimCpuTensorsGoWithCudaTensors() {
        try (Scope s = Scope.open()) {
            Tensor x = Ops.to(Tensor.of(new float[] {2, 4}, 2), CUDA);
            Tensor half = Ops.div(x, 2.0);
            assertEquals(CUDA, half.device());
            assertArrayEquals(new float[] {1, 2}, half.toFloatArray());
            assertArrayEquals(new byte[] {0, 1}, Ops.to(Ops.gt(x, 3.0), DType.UINT8).toByteArray());
        }
    }

    @Test
    void theHostNeverReadsCudaMemoryDirectly() {
        try (Scope s = Scope.open()) {
            Tensor x = Ops.to(Tensor.of(new float[] {1, 2}, 2), CUDA);
            assertThrows(IllegalStateException.class, x::memory);
            NativeCallException e = assertThrows(NativeCallException.class, () -> Torch.backend().dataPointer(x.handle()));
            assertTrue(e.getMessage().contains("device memory"), e.getMessage());
            assertArrayEquals(new float[] {1, 2}, x.toFloatArray());
            assertEquals(1.0, Ops.select(x, 0, 0).item());
        }
    }

    @Test
    void aShimOfTheWrongDeviceIsRefused() {
        try (Scope s = Scope.open()) {
            Tensor onCuda = Ops.to(Tensor.of(new float[] {1, 2}, 2), CUDA);
            Tensor onCpu = Tensor.of(new float[] {1, 2}, 2);
            TorchBackend b = Torch.backend();
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> b.mulScalar(onCuda.handle(), 2.0, b.deviceTypeCpu()));
            assertTrue(e.getMessage().contains("the cpu shim was given tensors on cuda:0"), e.getMessage());
            assertThrows(NativeCallException.class, () -> b.addScalar(onCpu.handle(), 2.0, 1.0, b.deviceTypeCuda()));
        }
    }

    private static void assertRefused(String op, Executable call) {
        TorchException e = assertThrows(TorchException.class, call);
        assertTrue(e.getMessage().contains(op), e.getMessage());
        assertInstanceOf(NativeCallException.class, e.getCause());
        assertTrue(e.getMessage().contains("tensors on cuda and cpu"), e.getMessage());
    }
}
