package org.cellpilot.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cellpilot.detect.HematoxylinDetector;
import org.cellpilot.detect.StainVectors;
import org.cellpilot.torch.checkpoint.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The annotator end to end in Debian's headless Chromium: open the sample, a positive point, a negative point, a
 * box, undo and redo, automatic mode, deleting masks, GeoJSON export; a screenshot goes to target/annotator.png. Click-to-mask
 * latencies (as the page measures them: click to mask drawn) are printed.
 */
class AnnotatorBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void annotateTheSampleEndToEnd() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.copy(samplePng(), images.resolve("ihc.png"));
        try (TinyServer server = new TinyServer(ServerOptions.builder().images(images),
                HematoxylinDetector.builder().stains(StainVectors.H_DAB).build())) {
            ChromeDriver driver = chrome(downloads);
            try {
                driver.get(server.url("/"));
                waitFor(driver, "window.cellpilot && window.cellpilot.ready && document.querySelector(\"#images option[value='file:ihc.png']\")");
                driver.findElement(By.cssSelector("#images option[value='file:ihc.png']")).click();
                waitFor(driver, "window.cellpilot.encoded && window.cellpilot.tiles.size > 0 && [...window.cellpilot.tiles.values()].every(t => t.bitmap)");
                WebElement canvas = driver.findElement(By.id("canvas"));

                click(driver, canvas, 0.5, 0.45, false);
                waitFor(driver, "window.cellpilot.latencies.length === 1 && !window.cellpilot.busy");
                assertEquals(1L, js(driver, "return window.cellpilot.masks.length"));
                Object first = js(driver, "return window.cellpilot.selected");

                click(driver, canvas, 0.62, 0.45, true);
                waitFor(driver, "window.cellpilot.latencies.length === 2 && !window.cellpilot.busy");
                assertEquals(1L, js(driver, "return window.cellpilot.masks.length"), "the negative point refines the same mask");
                assertEquals(first, js(driver, "return window.cellpilot.selected"));

                // More refining clicks, for a steadier latency figure than the first ones give.
                for (int i = 0; i < 6; i++) {
                    click(driver, canvas, 0.42 + 0.03 * i, 0.55, i % 2 == 1);
                    waitFor(driver, "window.cellpilot.latencies.length === " + (3 + i) + " && !window.cellpilot.busy");
                }
                assertEquals(1L, js(driver, "return window.cellpilot.masks.length"));

                new Actions(driver).sendKeys(Keys.ENTER).perform();
                drag(driver, canvas, 0.2, 0.2, 0.35, 0.33);
                waitFor(driver, "window.cellpilot.latencies.length === 9 && !window.cellpilot.busy");
                assertEquals(2L, js(driver, "return window.cellpilot.masks.length"), "the box makes a second mask");

                new Actions(driver).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
                waitFor(driver, "window.cellpilot.masks.length === 1 && !window.cellpilot.busy");
                new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("z").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL).perform();
                waitFor(driver, "window.cellpilot.masks.length === 2 && !window.cellpilot.busy");

                new Actions(driver).sendKeys("a").perform();
                waitFor(driver, "document.getElementById('status').textContent.startsWith('Automatic:')");
                long masks = (Long) js(driver, "return window.cellpilot.masks.length");
                assertTrue(masks > 10, "automatic mode found " + (masks - 2) + " cells on the sample");
                new Actions(driver).sendKeys(Keys.DELETE).perform();
                waitFor(driver, "window.cellpilot.masks.length === " + (masks - 1) + " && !window.cellpilot.busy");
                driver.findElement(By.cssSelector("#list tbody tr[data-id='" + first + "']")).click();
                new Actions(driver).sendKeys(Keys.DELETE).perform();
                waitFor(driver, "window.cellpilot.masks.length === " + (masks - 2) + " && !window.cellpilot.busy");
                assertEquals(0L, js(driver, "return window.cellpilot.masks.filter(m => m.source === 'interactive').length"),
                        "Delete removed the selected mask, then the one chosen in the list");
                Map<Long, Long> areas = new HashMap<>();
                for (Object m : (List<Object>) js(driver, "return window.cellpilot.masks.map(m => [m.id, m.area])")) {
                    List<Object> pair = (List<Object>) m;
                    areas.put((Long) pair.get(0), (Long) pair.get(1));
                }

                driver.findElement(By.id("exportGeojson")).click();
                Path file = awaitDownload(downloads, "ihc.geojson");
                Map<String, Object> collection = (Map<String, Object>) Json.parse(Files.readString(file));
                assertEquals("FeatureCollection", collection.get("type"));
                List<Object> features = (List<Object>) collection.get("features");
                assertEquals(areas.size(), features.size(), "one feature per mask on the page");
                for (Object f : features) {
                    Map<String, Object> feature = (Map<String, Object>) f;
                    Map<String, Object> properties = (Map<String, Object>) feature.get("properties");
                    boolean[] pixels = FeatureRaster.rasterise(feature.get("geometry"), 512, 512);
                    long area = 0;
                    for (boolean b : pixels) {
                        area += b ? 1 : 0;
                    }
                    assertEquals(areas.get((Long) properties.get("cellpilotId")), area, "feature " + properties.get("cellpilotId") + "'s area");
                }

                Path shot = Path.of("target", "annotator.png");
                Files.createDirectories(shot.getParent());
                Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

                List<Object> latencies = (List<Object>) js(driver, "return window.cellpilot.latencies");
                List<String> ms = new ArrayList<>();
                for (Object l : latencies) {
                    ms.add(String.format(Locale.ROOT, "%.0f", ((Number) l).doubleValue()));
                }
                double[] later = latencies.stream().skip(1).mapToDouble(l -> ((Number) l).doubleValue()).sorted().toArray();
                System.out.printf(Locale.ROOT, "annotator click -> mask drawn (ms; first point, 7 refining points, box): %s; after the first: "
                        + "median %.0f ms, max %.0f ms; screenshot %s%n", ms, later[later.length / 2], later[later.length - 1], shot.toAbsolutePath());
            } finally {
                driver.quit();
            }
        }
    }

    private ChromeDriver chrome(Path downloads) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,860",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chrome-profile")));
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(240));
        return driver;
    }

    private static Path samplePng() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("samples/ihc.png"))) {
            dir = dir.getParent();
        }
        return dir.resolve("samples/ihc.png");
    }

    private static Object js(ChromeDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Resolves in the page when {@code condition} holds: the browser polls, the test thread only waits. */
    private static void waitFor(ChromeDriver driver, String condition) {
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const check = () => { try { if (" + condition + ") { done(true); return; } } catch (e) { } setTimeout(check, 20); };"
                + "check();");
    }

    /** Moves to the fraction (fx, fy) of the element and clicks, with the right button for a negative point. */
    private static void click(ChromeDriver driver, WebElement e, double fx, double fy, boolean right) {
        Actions a = new Actions(driver).moveToElement(e, offset(e.getSize().width, fx), offset(e.getSize().height, fy));
        (right ? a.contextClick() : a.click()).perform();
    }

    private static void drag(ChromeDriver driver, WebElement e, double fx0, double fy0, double fx1, double fy1) {
        int w = e.getSize().width;
        int h = e.getSize().height;
        new Actions(driver).moveToElement(e, offset(w, fx0), offset(h, fy0)).clickAndHold()
                .moveByOffset((int) ((fx1 - fx0) * w / 2), (int) ((fy1 - fy0) * h / 2))
                .moveByOffset((int) ((fx1 - fx0) * w / 2), (int) ((fy1 - fy0) * h / 2)).release().perform();
    }

    /** Selenium's offsets count from the element's centre. */
    private static int offset(int size, double fraction) {
        return (int) Math.round((fraction - 0.5) * size);
    }

    private static Path awaitDownload(Path dir, String name) throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.isRegularFile(file)) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, name + " was not downloaded within 60 s");
                var key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        return file;
    }
}
