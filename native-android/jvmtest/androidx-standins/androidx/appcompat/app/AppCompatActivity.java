package androidx.appcompat.app;

/** Stand-in for the JVM checks only (see ../../../README.md); the real class also extends Activity. */
public class AppCompatActivity extends android.app.Activity {
}
