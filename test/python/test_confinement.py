# Network confinement: which modules count as network access, and the import hook refusing them.
import unittest

import _execlab as h


class NetworkModules(unittest.TestCase):
    def test_network_module_names(self):
        for name in ('pyodide_js', 'pyodide.http', 'pyodide.http.pyxhr'):
            with self.subTest(name=name):
                self.assertTrue(h._network_module(name))
        for name in ('pyodide', 'pyodide.ffi', 'pyodide_jsx', 'pyodide.httpx', 'http', 'js'):
            with self.subTest(name=name):
                self.assertFalse(h._network_module(name))

    def test_finder_refuses_network_modules_only_while_blocked(self):
        saved = h.NetworkFinder.blocked
        try:
            h.NetworkFinder.blocked = True
            with self.assertRaisesRegex(ImportError, 'network access is disabled') as caught:
                h.NetworkFinder.find_spec('pyodide.http')
            self.assertEqual(caught.exception.name, 'pyodide.http')
            self.assertIsNone(h.NetworkFinder.find_spec('json'))
            h.NetworkFinder.blocked = False
            self.assertIsNone(h.NetworkFinder.find_spec('pyodide.http'))
        finally:
            h.NetworkFinder.blocked = saved


if __name__ == '__main__':
    unittest.main()
