package androidx.webkit;

/** Stand-in for the JVM checks only (see ../../README.md): just the nested type Cordova mentions. */
public final class WebViewAssetLoader {
    private WebViewAssetLoader() {
    }

    /** Same shape as androidx.webkit.WebViewAssetLoader.PathHandler. */
    public interface PathHandler {
        android.webkit.WebResourceResponse handle(String path);
    }
}
