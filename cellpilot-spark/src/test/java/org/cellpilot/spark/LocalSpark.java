package org.cellpilot.spark;

import org.apache.spark.sql.SparkSession;

/** A local Spark for tests: two worker threads, each task tried twice, bound to the loopback, no web UI. */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkSession start() {
        return builder().getOrCreate();
    }

    /** The test session's settings, for a test that adds its own. */
    static SparkSession.Builder builder() {
        return SparkSession.builder()
                .master("local[2,2]")
                .appName("cellpilot-spark tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
    }
}
