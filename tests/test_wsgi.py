import subprocess
import sys

from django.conf import settings


def test_a_booted_worker_keeps_its_loaded_code_out_of_the_collectors_passes() -> None:
    # In a process of its own: freezing this one would change what every later test's collector sees.
    script = "import gc, opora.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    frozen, tracked = (int(n) for n in done.stdout.split()[-2:])
    assert frozen > 50_000  # Django, the URL modules and the apps
    assert tracked < frozen // 10  # the collector's passes walk only what came after
