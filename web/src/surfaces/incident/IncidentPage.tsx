import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/StatusPages';
import { IncidentDetail } from './IncidentDetail';
import { IncidentIndex } from './IncidentIndex';
import './incident.css';
import './incident.messages';

/** /incidentes (recent list) and /incidentes/:id (detail). */
export default function IncidentPage() {
  return (
    <Routes>
      <Route index element={<IncidentIndex />} />
      <Route path=":id" element={<IncidentDetail />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
