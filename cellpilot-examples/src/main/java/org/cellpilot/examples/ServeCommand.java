package org.cellpilot.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cellpilot.CellPilot;
import org.cellpilot.examples.server.CellPilotServer;
import org.cellpilot.examples.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cellpilot serve}: the samapi server for QuPath's SAM extension and the browser annotator, until Ctrl-C. */
@Command(name = "serve", description = "Serve QuPath's SAM extension (http://localhost:8000/sam/) and the annotator page (http://localhost:8000/).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    ModelFiles models;

    @Option(names = "--images", description = "A folder whose images the annotator lists.")
    Path images;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}); "
            + "any other than loopback needs --token.")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", description = "Every request must carry 'Authorization: Bearer TOKEN' (QuPath's extension cannot: "
            + "use it for the annotator on a trusted network).")
    String token;

    @Option(names = "--max-body-mb", defaultValue = "64", description = "Largest request body in MB (default: ${DEFAULT-VALUE}).")
    long maxBodyMb;

    @Option(names = "--max-pixels", defaultValue = "100000000", description = "Largest image in pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--max-sessions", defaultValue = "16", description = "Open sessions kept (each of the samapi images and of the "
            + "annotator); the least recently used is closed first (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Mixin
    DecoderHeadsOption decoderHeads;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServerOptions options;
        try {
            options = ServerOptions.builder().host(host).port(port).token(token).maxBodyBytes(maxBodyMb << 20).maxPixels(maxPixels)
                    .maxSessions(maxSessions).images(images).sam(models.sam).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CellPilot cp = models.builder().decoderHeads(decoderHeads.heads).device(device.get()).build();
        CellPilotServer server;
        try {
            server = CellPilotServer.start(cp, options);
        } catch (RuntimeException | java.io.IOException e) {
            cp.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C and SIGTERM: stop accepting, finish requests in flight, free every session and the models.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            cp.close();
            stopped.countDown();
        }, "cellpilot-serve-shutdown"));
        String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        spec.commandLine().getOut().printf("annotator: %s/%nQuPath SAM extension server URL: %s/sam/%nCtrl-C stops.%n", base, base);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
