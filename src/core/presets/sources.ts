import type { SourceLink } from './types.ts';

// Permalinks at the commits the presets were checked against, so a link shows the code as it was read.
const interCodeCommit = 'c3e46d827cfc9d4c704ec078f7abf9f41e3191d8';
const letiCommit = '633880879a780441e087aaa749bfaed7c27744a8';
const skyrlCommit = 'a9564572eb8e91076be43c1bd5e4615e3de17265';

/** A paper on arXiv, labelled by its id. */
function arxiv(id: string): SourceLink {
	return { label: `arXiv ${id}`, url: `https://arxiv.org/abs/${id}` };
}

/** A file of a GitHub repository at a commit, labelled with the repository's name and the path. */
function githubFile(repo: string, commit: string, path: string): SourceLink {
	const name = repo.slice(repo.indexOf('/') + 1);
	return { label: `${name}/${path}`, url: `https://github.com/${repo}/blob/${commit}/${path}` };
}

/** InterCode (Yang et al., 2023): its paper and files of princeton-nlp/intercode. */
export const interCode = {
	paper: arxiv('2306.14898'),
	file: (path: string) => githubFile('princeton-nlp/intercode', interCodeCommit, path)
};

/** LeTI (Wang et al., 2023): its paper and files of xingyaoww/LeTI. */
export const leti = {
	paper: arxiv('2305.10314'),
	file: (path: string) => githubFile('xingyaoww/LeTI', letiCommit, path)
};

/** ReEx-SQL (Dai et al., 2025), whose pattern SkyRL-SQL implements; it has no public code. */
export const reExSql = { paper: arxiv('2505.12768') };

/** SkyRL-SQL: files of NovaSky-AI/SkyRL (its SQL environment and tool). */
export const skyrl = {
	file: (path: string) => githubFile('NovaSky-AI/SkyRL', skyrlCommit, path)
};
