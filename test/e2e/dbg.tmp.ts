import axios from 'axios';
import { N8nServer } from './harness';
(async () => {
	const s = await N8nServer.create({ name: 'dbg', loadPackage: false });
	try {
		await s.start();
		const wf = await s.createWorkflow({ name: 'd', nodes: [{ id: 'a3f1c2d4-0000-4000-8000-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'd-1', parameters: { httpMethod: 'POST', path: 'dbg', options: {} } }], connections: {} });
		const probe = async (label: string) => {
			const r = await axios.request({ method: 'OPTIONS', url: s.webhookUrl('dbg'), headers: { Origin: s.baseUrl, 'Access-Control-Request-Method': 'POST' }, validateStatus: () => true });
			const p = await axios.post(s.webhookUrl('dbg'), {}, { validateStatus: () => true });
			console.log(label, r.status, JSON.stringify(r.data).slice(0, 200), 'POST', p.status);
		};
		await probe('before');
		await s.activate(wf.id);
		for (let i = 0; i < 4; i++) { await probe('active ' + i); await new Promise((r) => setTimeout(r, 300)); }
		await s.deactivate(wf.id);
		for (let i = 0; i < 8; i++) { await probe('deact ' + i); await new Promise((r) => setTimeout(r, 500)); }
	} finally { await s.dispose(); }
})();
