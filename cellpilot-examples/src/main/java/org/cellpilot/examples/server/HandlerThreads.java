package org.cellpilot.examples.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that run request handlers: a virtual thread per request where the JDK has them (21+), else a
 * bounded pool. Looked up reflectively so that this class stays Java 17 bytecode.
 */
final class HandlerThreads {
    /** Handlers mostly wait on a session's lock or on libtorch; more platform threads than this only queue. */
    private static final int PLATFORM_THREADS = 32;

    private HandlerThreads() {
    }

    static ExecutorService create() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(PLATFORM_THREADS, PLATFORM_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>());
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    static boolean virtual(ExecutorService executor) {
        return !(executor instanceof ThreadPoolExecutor);
    }
}
