package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.cellpilot.torch.Torch;
import org.junit.jupiter.api.Test;

/** libtorch runs as many intra-op threads in a task as Spark gives the task CPUs. */
class ThreadsPerTaskTest {
    @Test
    void theModelsOfATaskWithTwoCpusRunTwoThreads() {
        SparkSession spark = LocalSpark.builder().config("spark.task.cpus", "2").getOrCreate();
        try {
            ModelSpec builtIn = new ModelSpec(null, null, "he", "cpu", 1);
            List<Integer> threads = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0), 1)
                    .map(x -> {
                        ExecutorModels.forTask(builtIn);
                        return Torch.get().threads();
                    }).collect();
            assertEquals(List.of(2), threads);
        } finally {
            spark.stop();
            ExecutorModels.closeAll();
        }
    }
}
