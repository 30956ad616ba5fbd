package org.cellpilot.torch.jna;

/**
 * The C functions that JnaBackend calls often, bound with JNA's direct mapping ({@code Native.register} on
 * static native methods): a call is one JNI transition, about a tenth of the cost of an interface mapping.
 * Pointers travel as {@code long} addresses. Each class is registered against the library that exports its
 * functions; the ones called once at start-up (constants, {@code setenv}) are looked up instead.
 */
final class Natives {
    private Natives() {
    }

    /** libtorch_cpu.so's stable C ABI. Every function returns 0 on success. */
    static final class Libtorch {
        private Libtorch() {
        }

        static native long aoti_torch_abi_version();

        static native int aoti_torch_create_tensor_from_blob(long data, long ndim, long sizes, long strides, long storageOffset,
                int dtype, int deviceType, int deviceIndex, long out);

        static native int aoti_torch_empty_strided(long ndim, long sizes, long strides, int dtype, int deviceType, int deviceIndex,
                long out);

        static native int aoti_torch_delete_tensor_object(long tensor);

        static native int aoti_torch_new_tensor_handle(long tensor, long out);

        static native int aoti_torch_get_dim(long tensor, long out);

        static native int aoti_torch_get_sizes(long tensor, long out);

        static native int aoti_torch_get_strides(long tensor, long out);

        static native int aoti_torch_get_dtype(long tensor, long out);

        static native int aoti_torch_get_device_type(long tensor, long out);

        static native int aoti_torch_get_device_index(long tensor, long out);

        static native int aoti_torch_get_data_ptr(long tensor, long out);

        static native int aoti_torch_copy_(long dst, long src, int nonBlocking);

        static native int aoti_torch_zero_(long tensor);

        static native int torch_call_dispatcher(long op, long overload, long stack, long extensionBuildVersion);

        static native int torch_new_list_reserve_size(long size, long out);

        static native int torch_list_push_back(long list, long item);

        static native int torch_new_string_handle(long data, long length, long out);

        static native int aoti_torch_scalar_to_tensor_float64(double value, long out);

        static native void aoti_torch_grad_mode_set_enabled(boolean enabled);

        /** {@link org.cellpilot.torch.spi.LibtorchAbi#SET_NUM_THREADS}, renamed by JnaBackend's function mapper. */
        static native void setNumThreads(int threads);

        /** {@link org.cellpilot.torch.spi.LibtorchAbi#GET_NUM_THREADS}. */
        static native int getNumThreads();
    }

    /**
     * The typed shims for ops whose Scalar arguments cannot cross the dispatcher, as {@code aoti_torch_cpu_*}: the
     * function mapper adds the device prefix. {@link CudaShims} are the same functions for CUDA.
     */
    static final class CpuShims {
        private CpuShims() {
        }

        static native int add_Tensor(long self, long other, double alpha, long out);

        static native int add_Scalar(long self, double other, double alpha, long out);

        static native int mul_Scalar(long self, double other, long out);

        static native int baddbmm_out(long out, long self, long batch1, long batch2, double beta, double alpha);
    }

    /** {@code aoti_torch_cuda_*} from libtorch_cuda.so. */
    static final class CudaShims {
        private CudaShims() {
        }

        static native int add_Tensor(long self, long other, double alpha, long out);

        static native int add_Scalar(long self, double other, double alpha, long out);

        static native int mul_Scalar(long self, double other, long out);
    }

    /** Registered apart: a CUDA build may lack it, and Ops then composes bmm and add. */
    static final class CudaBaddbmm {
        private CudaBaddbmm() {
        }

        static native int baddbmm_out(long out, long self, long batch1, long batch2, double beta, double alpha);
    }

    /** C++ {@code operator new(size_t)} from libstdc++. */
    static final class Cxx {
        private Cxx() {
        }

        static native long operatorNew(long bytes);
    }
}
