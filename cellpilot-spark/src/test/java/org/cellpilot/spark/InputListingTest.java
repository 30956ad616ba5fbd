package org.cellpilot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputListingTest {
    @TempDir
    Path dir;

    private List<InputListing.Input> list(Path input) throws IOException {
        return InputListing.list(input.toString(), new Configuration());
    }

    @Test
    void aFolderGivesItsImageFilesByNameNotItsSubFoldersOrOtherFiles() throws IOException {
        Files.writeString(dir.resolve("b.svs"), "");
        Files.writeString(dir.resolve("a.PNG"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.createDirectories(dir.resolve("sub")).resolve("c.tif").toFile().createNewFile();
        List<InputListing.Input> inputs = list(dir);
        assertEquals(List.of("a.PNG", "b.svs"), inputs.stream().map(InputListing.Input::name).toList());
        assertEquals("file:" + dir.resolve("a.PNG"), inputs.get(0).path());
    }

    @Test
    void aTextFileListsPathsRelativeToItsFolderSkippingBlanksAndComments() throws IOException {
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Path list = Files.writeString(dir.resolve("cohort.txt"), "# study 12\n\nslides/x.tif\n  " + other.resolve("y.ndpi") + "  \n");
        List<InputListing.Input> inputs = list(list);
        assertEquals(2, inputs.size());
        assertEquals("file:" + dir.resolve("slides/x.tif"), inputs.get(0).path());
        assertEquals("file:" + other.resolve("y.ndpi"), inputs.get(1).path());
    }

    @Test
    void twoImagesOfOneNameAreRefusedBecauseTheNameIsThePartition() throws IOException {
        Path list = Files.writeString(dir.resolve("cohort.txt"), "a/slide.svs\nb/slide.svs\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list(list));
        assertTrue(e.getMessage().contains("slide.svs"), e.getMessage());
    }

    @Test
    void aMissingInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
