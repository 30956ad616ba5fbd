package org.cellpilot.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResolutionTest {
    @Test
    void readsAperioDescriptions() {
        // The layout of an Aperio ScanScope description (OpenSlide's test data, CMU-1.svs).
        String aperio = "Aperio Image Library v10.0.50\r\n46920x33014 [0,100 46000x32914] (256x256) JPEG/RGB Q=30|AppMag = 20"
                + "|StripeWidth = 2040|ScanScope ID = CPAPERIOCS|Filename = CMU-1|Date = 12/29/09|Time = 09:59:15|User = b414003d-95c6-48b0"
                + "|MPP = 0.4990|Left = 25.691574|Top = 23.449873";
        assertEquals(0.499, Resolution.fromDescription(aperio).getAsDouble(), 1e-12);
        assertTrue(Resolution.fromDescription("made by someone |MPP = 0.25").isEmpty(), "MPP outside an Aperio description");
    }

    @Test
    void readsOmeXml() {
        String ome = "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\">"
                + "<Pixels DimensionOrder=\"XYCZT\" ID=\"Pixels:0\" PhysicalSizeX=\"0.325\" PhysicalSizeXUnit=\"µm\" PhysicalSizeY=\"0.325\""
                + " SizeX=\"1000\" SizeY=\"800\" Type=\"uint8\"/></Image></OME>";
        assertEquals(0.325, Resolution.fromDescription(ome).getAsDouble(), 1e-12);
        assertEquals(0.5, Resolution.fromDescription(ome.replace("0.325\" PhysicalSizeXUnit=\"µm\"", "500\" PhysicalSizeXUnit=\"nm\""))
                .getAsDouble(), 1e-12);
    }

    @Test
    void trustsResolutionTagsOnlyInCentimetresOrInchesAndWhenPlausible() {
        assertEquals(0.25, Resolution.fromTiffTags(40_000, Resolution.UNIT_CENTIMETER).getAsDouble(), 1e-12);
        assertEquals(0.254, Resolution.fromTiffTags(100_000, Resolution.UNIT_INCH).getAsDouble(), 1e-12);
        assertTrue(Resolution.fromTiffTags(96, Resolution.UNIT_INCH).isEmpty(), "libvips' 96 dpi default is 265 µm/px");
        assertTrue(Resolution.fromTiffTags(40_000, 1).isEmpty(), "ResolutionUnit none has no physical size");
    }
}
