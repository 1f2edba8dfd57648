// The Python worker of sessions with allowNetwork: the very same worker, from an entry script whose
// name the servers and the service worker do not give the worker CSP (content-policy.js), so its
// requests may leave the origin. The page starts it only for such sessions.
import './python.worker.ts';
