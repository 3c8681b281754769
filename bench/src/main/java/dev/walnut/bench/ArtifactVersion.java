package dev.walnut.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of a dependency on the class path, from the pom.properties Maven puts in its jar. */
final class ArtifactVersion {

    private ArtifactVersion() {
    }

    /** The artifact's version, or "?" when its jar carries no pom.properties. */
    static String of(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = ArtifactVersion.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }
}
