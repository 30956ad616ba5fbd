package org.cellpilot.examples;

import org.cellpilot.torch.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --device}, shared by the commands that run a model. */
final class DeviceOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}); cuda needs "
            + "CELLPILOT_LIBTORCH set to a CUDA libtorch.")
    String device;

    /** The device asked for; a malformed name is bad usage (exit 2). */
    Device get() {
        try {
            return Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
