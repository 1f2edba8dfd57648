// The helper's version on its own, so code that only needs the number (snapshot keys) does not
// pull in the helper's Python source.

/** Version of the helper; bump when its source changes so snapshots carrying an old copy reinstall it. */
export const pythonHelperVersion = 9;
